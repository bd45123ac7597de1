/// The built-in `style` partial: one inline stylesheet shared by every page, so the pages need
/// no external asset and stay within the `default-src 'none'; style-src 'unsafe-inline'` policy.
///
/// Every text colour has a contrast of at least 4.5:1 against its background in the light and
/// the dark scheme (WCAG 2.1 §1.4.3; `scripts/browser-test` measures it in Chromium), and the
/// layout fits a 375 px wide screen without sideways scrolling.
enum PageStyle {
  static let template = """
    <style>
      :root { color-scheme: light dark; --bg: #eef0f4; --card: #ffffff; --text: #1a1d23;
        --muted: #4b5260; --line: #d5d9e0; --field: #8a909c; --accent: #1f4fd1;
        --accent-text: #ffffff; --link: #1f4fd1; --chip: #eef1f6;
        --warn-bg: #fff6dc; --warn-line: #d9a520; --warn-text: #4d3400;
        --info-bg: #eaf1ff; --info-line: #8fb0f5; --info-text: #16367f;
        --ok-text: #1d5e33; --error-bg: #fdecea; --error-line: #e7a29a; --error-text: #8a1c12; }
      @media (prefers-color-scheme: dark) {
        :root { --bg: #0f1115; --card: #1a1d24; --text: #e8eaef; --muted: #aeb4c0;
          --line: #343944; --field: #7d8492; --accent: #1f4fd1; --accent-text: #ffffff;
          --link: #a9c1ff; --chip: #262a33;
          --warn-bg: #33270a; --warn-line: #8a6a16; --warn-text: #ffe4a6;
          --info-bg: #17233d; --info-line: #3b5590; --info-text: #cddbff;
          --ok-text: #9fe0b2; --error-bg: #3d1a17; --error-line: #8a3a31; --error-text: #ffd9d4; }
      }
      *, *::before, *::after { box-sizing: border-box; }
      html { -webkit-text-size-adjust: 100%; }
      body { margin: 0; min-height: 100vh; background: var(--bg); color: var(--text);
        font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
          "Noto Sans", "Liberation Sans", Arial, sans-serif;
        display: flex; flex-direction: column; align-items: center; padding: 3rem 1rem 2rem; }
      main { width: 100%; max-width: 28rem; background: var(--card); border: 1px solid var(--line);
        border-radius: 14px; padding: 2rem; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06),
          0 8px 24px rgba(16, 24, 40, 0.08); }
      .server { display: flex; align-items: center; gap: 0.5rem; margin: 0 0 1.5rem;
        color: var(--muted); font-size: 0.875rem; overflow-wrap: anywhere; }
      .server svg { flex: none; }
      .server strong { color: var(--text); font-weight: 600; }
      h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 0.75rem; letter-spacing: -0.01em;
        overflow-wrap: anywhere; }
      p { margin: 0 0 1rem; }
      .lead { color: var(--muted); margin-bottom: 1.5rem; overflow-wrap: anywhere; }
      .lead strong { color: var(--text); }
      .client { display: flex; align-items: center; gap: 0.875rem; margin: 0 0 1.25rem; }
      .monogram { flex: none; width: 3rem; height: 3rem; border-radius: 12px; display: grid;
        place-items: center; background: var(--accent); color: var(--accent-text);
        font-size: 1.375rem; font-weight: 700; }
      .client h1 { margin: 0; font-size: 1.375rem; }
      .client-detail { margin: 0.125rem 0 0; color: var(--muted); font-size: 0.875rem;
        overflow-wrap: anywhere; }
      .verified { color: var(--ok-text); }
      .callout { border: 1px solid; border-left-width: 4px; border-radius: 8px;
        padding: 0.75rem 0.875rem; margin: 0 0 1.25rem; font-size: 0.9375rem;
        overflow-wrap: anywhere; }
      .callout strong:first-child { display: block; margin-bottom: 0.125rem; }
      .callout p { margin: 0.25rem 0 0; }
      .warning { background: var(--warn-bg); border-color: var(--warn-line); color: var(--warn-text); }
      .info { background: var(--info-bg); border-color: var(--info-line); color: var(--info-text); }
      .notice { background: var(--error-bg); border-color: var(--error-line);
        color: var(--error-text); }
      h2 { font-size: 1rem; margin: 0 0 0.5rem; }
      ul.scopes { list-style: none; padding: 0; margin: 0 0 1.25rem; border: 1px solid var(--line);
        border-radius: 10px; }
      ul.scopes li { display: flex; gap: 0.75rem; padding: 0.75rem 0.875rem; }
      ul.scopes li + li { border-top: 1px solid var(--line); }
      ul.scopes svg { flex: none; margin-top: 0.2rem; color: var(--link); }
      .scope-name { display: block; color: var(--muted); font-size: 0.8125rem; }
      code { font: 0.8125rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas,
          "Liberation Mono", monospace; overflow-wrap: anywhere; }
      dl.facts { margin: 0 0 1.5rem; font-size: 0.875rem; display: grid;
        grid-template-columns: max-content 1fr; gap: 0.375rem 0.75rem; }
      dl.facts dt { color: var(--muted); }
      dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
      label { display: block; font-weight: 600; font-size: 0.9375rem; margin: 1rem 0 0.375rem; }
      input[type=text], input[type=password] { display: block; width: 100%; font: inherit;
        color: var(--text); background: var(--card); padding: 0.625rem 0.75rem;
        border: 1px solid var(--field); border-radius: 8px; }
      .actions { display: flex; flex-direction: column; gap: 0.625rem; margin-top: 1.5rem; }
      button { font: inherit; font-weight: 600; width: 100%; padding: 0.6875rem 1rem;
        border-radius: 8px; border: 1px solid var(--accent); background: var(--accent);
        color: var(--accent-text); cursor: pointer; }
      button:hover { filter: brightness(1.08); }
      button.secondary { background: transparent; color: var(--link); border-color: var(--field); }
      :focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
      input:focus-visible { outline-offset: 0; border-color: var(--link); }
      .fine { color: var(--muted); font-size: 0.8125rem; margin: 1.25rem 0 0; }
      footer { margin-top: 1.25rem; color: var(--muted); font-size: 0.8125rem; text-align: center; }
      @media (min-width: 40rem) {
        body { padding-top: 5rem; }
        main { padding: 2.5rem; }
        .actions { flex-direction: row; }
      }
      @media (max-width: 30rem) {
        body { padding: 1rem 0.75rem; }
        main { padding: 1.5rem 1.25rem; }
      }
    </style>
    """
}
