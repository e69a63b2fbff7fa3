//! Models shipped inside the binary: the default B2B SaaS model and templates.

use super::{CompiledModel, ModelError};

/// A model file shipped with leadrank.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinModel {
    /// The name used on the command line (`leadrank model show NAME`).
    pub name: &'static str,
    pub summary: &'static str,
    /// The TOML text.
    pub source: &'static str,
}

/// The default model (B2B SaaS).
pub const DEFAULT: BuiltinModel = BuiltinModel {
    name: "default",
    summary: "B2B SaaS: five dimensions (fit, intent, access, timing, integrity) with an example ICP",
    source: include_str!("../../../../models/default.toml"),
};

/// Every built-in model, the default first.
pub const ALL: &[BuiltinModel] = &[
    DEFAULT,
    BuiltinModel {
        name: "ecommerce",
        summary: "E-commerce/DTC: RFM recency, frequency and monetary value of orders",
        source: include_str!("../../../../models/ecommerce.toml"),
    },
    BuiltinModel {
        name: "professional-services",
        summary: "Professional services: scope clarity, timeline, decision maker, budget source",
        source: include_str!("../../../../models/professional-services.toml"),
    },
];

/// Looks a built-in model up by name.
pub fn find(name: &str) -> Option<BuiltinModel> {
    ALL.iter().copied().find(|m| m.name == name)
}

/// The compiled default model.
pub fn default_model() -> CompiledModel {
    // The default model is checked by a unit test; failing here would be a build defect.
    match compile_builtin(DEFAULT) {
        Ok(model) => model,
        Err(e) => panic!("the built-in default model is invalid: {e}"),
    }
}

/// Compiles a built-in model.
pub fn compile_builtin(model: BuiltinModel) -> Result<CompiledModel, ModelError> {
    CompiledModel::from_toml(model.source, &format!("<built-in {}>", model.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_model_compiles() {
        for m in ALL {
            if let Err(e) = compile_builtin(*m) {
                panic!("{e}");
            }
        }
        assert_eq!(default_model().rules.len(), 26);
    }
}
