// A real OpenID Provider for leadrank's single sign-on test: the certified `oidc-provider`
// package with its development sign-in pages. Any login name signs in with any password;
// its claims: preferred_username = the login, name, and `leadrank_role` = the part of the
// login before "." when it is one of rep, manager, revops, admin (e.g. "revops.dana").
//
// usage: node provider.mjs <port> <client_id> <client_secret> <redirect_uri>
// prints "ready <issuer>" once listening.
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error("usage: node provider.mjs <port> <client_id> <client_secret> <redirect_uri>");
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const roles = new Set(["rep", "manager", "revops", "admin"]);

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["preferred_username", "name", "leadrank_role"] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const prefix = id.split(".")[0];
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, preferred_username: id, name: `SSO ${id}` };
        if (roles.has(prefix)) claims.leadrank_role = prefix;
        return claims;
      },
    };
  },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => console.log(`ready ${issuer}`));
