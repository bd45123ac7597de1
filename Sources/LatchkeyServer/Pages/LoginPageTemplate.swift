/// The built-in login page (`login`): a plain form that works without JavaScript, with the
/// `username` and `password` fields MCP clients' users expect, the pending authorization request
/// in hidden fields and the CSRF token. Only `{{ }}` (escaped) is used for request data.
enum LoginPageTemplate {
  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sign in</title>
    {{> style}}
    </head>
    <body>
    <main>
    <h1>Sign in</h1>
    <p><strong>{{client_name}}</strong>{{#client_host}} <span class="muted">({{client_host}})</span>{{/client_host}} wants to use <strong>{{resource_name}}</strong> on your behalf.</p>
    {{#message}}<p class="notice" role="alert">{{message}}</p>{{/message}}
    {{#note}}<p class="muted">{{note}}</p>{{/note}}
    <form method="post" action="{{action}}">
    {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
    {{/hidden}}<input type="hidden" name="csrf_token" value="{{csrf_token}}">
    <label for="username">Username</label>
    <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autocapitalize="none" required autofocus>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
    </form>
    </main>
    </body>
    </html>
    """
}
