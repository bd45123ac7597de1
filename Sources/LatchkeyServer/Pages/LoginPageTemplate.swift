/// The built-in login page (`login`): a plain form (when `local_accounts`) that works without JavaScript, with the
/// `username` and `password` fields MCP clients' users expect, the pending authorization request
/// in hidden fields and the CSRF token. Only `{{ }}` (escaped) is used for request data.
///
/// It names the server the password goes to (`issuer_host`) and the client that asked
/// (`client_name`, with `client_host` for a metadata-document client). The focus starts in the
/// username field, or in the password field when the username is filled in again
/// (`username_given`, after a failed attempt). Each identity provider gets a form of its own
/// (`providers`: `id`, `name`) posting `provider` with the interaction and CSRF token.
enum LoginPageTemplate {
  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sign in · {{issuer_host}}</title>
    {{> style}}
    </head>
    <body>
    <main>
    <p class="server"><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/></svg><span>Signing in to <strong>{{issuer_host}}</strong></span></p>
    <h1>Sign in</h1>
    <p class="lead">to continue to <strong>{{client_name}}</strong>{{#client_host}} <span>({{client_host}})</span>{{/client_host}}, which wants to use <strong>{{resource_name}}</strong> on your behalf.</p>
    {{#message}}<p class="callout notice" role="alert">{{message}}</p>{{/message}}
    {{#note}}<p class="callout info">{{note}}</p>{{/note}}
    {{#local_accounts}}<form method="post" action="{{action}}">
    {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
    {{/hidden}}<input type="hidden" name="csrf_token" value="{{csrf_token}}">
    <label for="username">Username</label>
    <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autocapitalize="none" spellcheck="false" required{{^username_given}} autofocus{{/username_given}}>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required{{#username_given}} autofocus{{/username_given}}>
    <div class="actions"><button type="submit">Sign in</button></div>
    </form>
    <p class="fine">Your password goes only to {{issuer_host}}; {{client_name}} never sees it. You will be asked before it gets any access.</p>
    {{/local_accounts}}{{#providers}}<form method="post" action="{{action}}" class="provider">
    {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
    {{/hidden}}<input type="hidden" name="csrf_token" value="{{csrf_token}}">
    <input type="hidden" name="provider" value="{{id}}">
    <div class="actions"><button type="submit">Sign in with {{name}}</button></div>
    </form>
    {{/providers}}    </main>
    <footer>Protected by Latchkey</footer>
    </body>
    </html>
    """
}
