/** The current URL as state; links inside the page navigate without reloading. */
import { matchRoute, withQuery, type Route } from '../lib/routes.ts';

class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  route: Route = $derived(matchRoute(this.path));
  query: URLSearchParams = $derived(new URLSearchParams(this.search));

  constructor() {
    window.addEventListener('popstate', () => this.sync());
    document.addEventListener('click', (e) => this.onClick(e));
  }

  private sync(): void {
    this.path = location.pathname;
    this.search = location.search;
  }

  /** Goes to a page route (`/recordings/abc?step=3`), adding a history entry. */
  navigate(href: string, replace = false): void {
    const url = new URL(href, location.href);
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.sync();
    if (!replace) window.scrollTo(0, 0);
  }

  /** Changes query keys in place (no history entry); null removes a key. */
  setQuery(changes: Record<string, string | null>): void {
    const search = withQuery(location.search, changes);
    if (search === location.search) return;
    history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
    this.search = location.search;
  }

  private onClick(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target instanceof Element ? e.target.closest('a') : null;
    if (!target || target.target || target.hasAttribute('download')) return;
    const url = new URL(target.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    e.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  }
}

export const router = new Router();
