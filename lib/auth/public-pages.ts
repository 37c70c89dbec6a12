// Pages anyone may open (paths relative to app/). Every other page must call requirePageViewer; a test checks it.
export const PUBLIC_PAGES = ["setup/page.tsx", "login/page.tsx", "invite/[token]/page.tsx"];
