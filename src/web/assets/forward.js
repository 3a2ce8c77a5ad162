// Follows a page's forward link at once (the counter console after sign-in). A navigation this
// page starts is same-site, so the browser sends the SameSite=Strict cookie the redirect chain
// from another site could not carry. Without scripts, the link is there to press.
const link = document.querySelector('a[data-forward]');
if (link) window.location.replace(link.href);
