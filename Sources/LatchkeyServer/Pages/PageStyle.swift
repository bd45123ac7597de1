/// The built-in `style` partial: one inline stylesheet shared by every page, so the pages need
/// no external asset and stay within the `default-src 'none'; style-src 'unsafe-inline'` policy.
enum PageStyle {
  static let template = """
    <style>
      :root { color-scheme: light dark; }
      body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
        background: #f4f5f7; color: #1d1f23; }
      main { max-width: 26rem; margin: 4rem auto; padding: 2rem; background: #fff;
        border-radius: 0.75rem; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
      h1 { font-size: 1.35rem; margin: 0 0 1rem; }
      p { margin: 0 0 1rem; }
      label { display: block; font-weight: 600; margin: 0.75rem 0 0.25rem; }
      input[type=text], input[type=password] { width: 100%; box-sizing: border-box;
        padding: 0.55rem 0.65rem; font: inherit; border: 1px solid #b8bcc4; border-radius: 0.4rem; }
      button { font: inherit; padding: 0.55rem 1.1rem; border-radius: 0.4rem; border: 1px solid #2456c9;
        background: #2456c9; color: #fff; cursor: pointer; margin: 1.25rem 0.5rem 0 0; }
      button.secondary { background: transparent; color: #2456c9; }
      ul.scopes { padding-left: 1.2rem; }
      .notice { padding: 0.6rem 0.8rem; border-radius: 0.4rem; background: #fdecea; color: #7a1c14; }
      .muted { color: #5c6270; font-size: 0.9rem; }
      code { font-size: 0.9rem; word-break: break-all; }
      @media (prefers-color-scheme: dark) {
        body { background: #16181c; color: #e6e8ec; }
        main { background: #22252b; box-shadow: none; }
        .notice { background: #4a1d19; color: #ffd9d4; }
        .muted { color: #a3a9b5; }
      }
    </style>
    """
}
