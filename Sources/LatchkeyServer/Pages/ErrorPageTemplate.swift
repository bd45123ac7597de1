/// The built-in error page (`error`), shown when the request cannot be sent back to the client
/// (unknown client or unregistered redirect URI, OAuth 2.1 §4.1.2.1) or a form is refused.
enum ErrorPageTemplate {
  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · {{issuer_host}}</title>
    {{> style}}
    </head>
    <body>
    <main>
    <p class="server"><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/></svg><span><strong>{{issuer_host}}</strong></span></p>
    <h1>{{title}}</h1>
    <p class="callout notice" role="alert">{{message}}</p>
    <p>Nothing was shared with the application. Go back to it and start again.</p>
    <p class="fine">If this keeps happening, contact the administrator of this server.</p>
    </main>
    <footer>Protected by Latchkey</footer>
    </body>
    </html>
    """
}
