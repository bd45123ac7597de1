/// The built-in error page (`error`), shown when the request cannot be sent back to the client
/// (unknown client or unregistered redirect URI, OAuth 2.1 §4.1.2.1) or a form is refused.
enum ErrorPageTemplate {
  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}}</title>
    {{> style}}
    </head>
    <body>
    <main>
    <h1>{{title}}</h1>
    <p class="notice" role="alert">{{message}}</p>
    <p class="muted">Return to the application and start again. If this keeps happening, contact the administrator of this server.</p>
    </main>
    </body>
    </html>
    """
}
