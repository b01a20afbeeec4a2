"use client";
// A link to another console page, followed in the page (the router fetches the next page's server part;
// the QueryClient, its cache and the live connection stay) rather than by a full load. next/link does the
// same and more, at 2.2 KiB gzip on every page's first load: what more it does is prefetch a link's page
// when the link is on screen, and every console page is rendered per request without a loading.tsx, for
// which it prefetches nothing of the page (https://nextjs.org/docs/app/api-reference/components/link#prefetch).
import { useRouter } from "next/navigation";
import type { AnchorHTMLAttributes } from "react";

export interface ConsoleLinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string;
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
  /** Scroll to the top (or to the link's #fragment) after following it; true by default. */
  scroll?: boolean;
}

export function ConsoleLink({ href, replace = false, scroll = true, onClick, ...props }: ConsoleLinkProps) {
  const router = useRouter();
  return (
    <a
      {...props}
      href={href}
      onClick={(event) => {
        onClick?.(event);
        // A new tab or window, a download, or a handler that took the click: the browser's own way.
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        if ((props.target && props.target !== "_self") || props.download !== undefined) return;
        event.preventDefault();
        if (replace) router.replace(href, { scroll });
        else router.push(href, { scroll });
      }}
    />
  );
}
