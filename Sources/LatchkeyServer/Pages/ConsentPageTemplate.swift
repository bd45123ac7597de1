/// The built-in consent page (`consent`): names the client, the resource and each scope in
/// words, with the `decision` buttons (`approve` / `deny`) clients' users expect.
enum ConsentPageTemplate {
  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Allow access?</title>
    {{> style}}
    </head>
    <body>
    <main>
    <h1>Allow access?</h1>
    <p><strong>{{client_name}}</strong>{{#client_host}} <span class="muted">({{client_host}})</span>{{/client_host}} asks to access <strong>{{resource_name}}</strong> <span class="muted">(<code>{{resource_url}}</code>)</span> as <strong>{{username}}</strong>.</p>
    <p>It will be able to:</p>
    <ul class="scopes">
    {{#scopes}}<li>{{description}} <span class="muted">(<code>{{name}}</code>)</span></li>
    {{/scopes}}</ul>
    {{#granted_before}}<p class="muted">You allowed this application some access before; only the new permissions are listed.</p>{{/granted_before}}
    <form method="post" action="{{action}}">
    {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
    {{/hidden}}<input type="hidden" name="csrf_token" value="{{csrf_token}}">
    <button type="submit" name="decision" value="approve">Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    </form>
    </main>
    </body>
    </html>
    """
}
