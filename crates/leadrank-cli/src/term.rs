//! The terminal the output goes to: its width, so tables fit it.

use std::io::IsTerminal;

/// Rows a table shows on a terminal when `--top` is not given.
pub const TERMINAL_PAGE: usize = 50;

/// The width tables must fit on stdout: `COLUMNS` when it is set to a number, else the
/// terminal's width when stdout is a terminal, else none (a file or a pipe takes any width).
pub fn stdout_width() -> Option<u16> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|&c| c >= 20) {
        return Some(columns);
    }
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(&stdout).map(|(terminal_size::Width(w), _)| w)
}

/// Fits a table into the stdout width, wrapping cells, when there is a width to fit.
pub fn fit(table: &mut comfy_table::Table) {
    if let Some(width) = stdout_width() {
        table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
        table.set_width(width);
    }
}
