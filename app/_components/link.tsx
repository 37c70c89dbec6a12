// The app's <Link>: next/link without prefetching. Every Nightjar page is dynamic (rendered per session), so a
// prefetch renders the whole page on the server for a click that may never come; six of them on each page load
// delayed the live view's first playlist by ~0.4 s on a 2-core NAS. Navigation still happens in the client.
// ESLint refuses next/link elsewhere, so the policy stays in this one place.
// eslint-disable-next-line no-restricted-imports
import NextLink from "next/link";
import type { ComponentProps } from "react";

export default function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
