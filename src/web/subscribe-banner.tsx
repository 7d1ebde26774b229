/** The invitation on list pages, as on the page Paperboy was modelled on. */
export function SubscribeBanner() {
  return (
    <aside class="banner">
      <span>Get the top papers in your inbox, daily or weekly, on the topics you choose.</span>
      <a href="/subscribe" class="button">
        Subscribe
      </a>
    </aside>
  );
}
