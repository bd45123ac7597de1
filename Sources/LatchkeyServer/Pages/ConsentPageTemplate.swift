/// The built-in consent page (`consent`): names the client, the resource and each scope in
/// words, with the `decision` buttons (`approve` / `deny`) clients' users expect.
///
/// Who vouches for the client's name is said plainly: a warning for a client that registered
/// itself (`client_self_registered`, nobody checked it) and for a Client ID Metadata Document
/// client (`client_metadata_host`, only that host vouches for it); a short note for a client an
/// operator added (`client_preregistered`). `redirect_target` is where the answer goes.
enum ConsentPageTemplate {
  static let template = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Allow access? · {{issuer_host}}</title>
    {{> style}}
    </head>
    <body>
    <main>
    <p class="server"><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/></svg><span>Signed in to <strong>{{issuer_host}}</strong> as <strong>{{username}}</strong></span></p>
    <div class="client"><div class="monogram" aria-hidden="true">{{client_monogram}}</div><div><h1>{{client_name}} wants access to {{resource_name}}</h1>
    <p class="client-detail">{{#client_metadata_host}}Published by {{client_metadata_host}}{{/client_metadata_host}}{{#client_self_registered}}Unverified application{{/client_self_registered}}{{#client_preregistered}}<span class="verified">✓ Added by this server’s administrator</span>{{/client_preregistered}}</p></div></div>
    {{#client_self_registered}}<div class="callout warning" role="note"><strong>Nobody has verified this application.</strong><p>It registered itself with this server, so “{{client_name}}” is only the name it gave itself. Allow access only if you started this from an application you trust.</p></div>
    {{/client_self_registered}}{{#client_metadata_host}}<div class="callout warning" role="note"><strong>This application is described by {{client_metadata_host}}.</strong><p>Its name and details come from {{client_metadata_host}}, not from this server. Allow access only if you trust {{client_metadata_host}}.</p></div>
    {{/client_metadata_host}}<h2>It will be able to:</h2>
    <ul class="scopes">
    {{#scopes}}<li><svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M20 6 9 17l-5-5"/></svg><span>{{description}} <code class="scope-name">{{name}}</code></span></li>
    {{/scopes}}</ul>
    {{#granted_before}}<p class="callout info">You allowed this application some access before; only the new permissions are listed.</p>{{/granted_before}}
    <dl class="facts">
    <dt>Resource</dt><dd><code>{{resource_url}}</code></dd>
    <dt>Returns to</dt><dd><code>{{redirect_target}}</code>{{#redirect_on_device}} (an application on this device){{/redirect_on_device}}</dd>
    </dl>
    <form method="post" action="{{action}}">
    {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
    {{/hidden}}<input type="hidden" name="csrf_token" value="{{csrf_token}}">
    <div class="actions">
    <button type="submit" name="decision" value="approve">Allow</button>
    <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    </div>
    </form>
    <p class="fine">Deny sends you back to the application without access.</p>
    {{#dropped_scopes}}<p class="fine">The application also asked for <code>{{dropped_scopes}}</code>, which {{resource_name}} does not offer; that is not granted.</p>{{/dropped_scopes}}
    </main>
    <footer>Protected by Latchkey</footer>
    </body>
    </html>
    """
}
