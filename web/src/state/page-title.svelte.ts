/** The current page's own title (a lesson's, a recording's); the tab shows it before the app name. */
class PageTitle {
  value = $state('');
}

export const pageTitle = new PageTitle();
