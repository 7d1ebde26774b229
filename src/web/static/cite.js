// "Cite" buttons: a link to the paper's .bib that works without JavaScript; with it, a click copies the
// BibTeX to the clipboard instead. Served from this site (the CSP allows no inline scripts).
document.addEventListener('click', async (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-cite]') : null;
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  const label = link.textContent;
  try {
    const res = await fetch(link.getAttribute('href'), { credentials: 'omit' });
    if (!res.ok) throw new Error(String(res.status));
    await navigator.clipboard.writeText(await res.text());
    link.textContent = 'Copied BibTeX';
    link.setAttribute('data-copied', 'true');
  } catch {
    window.location.href = link.getAttribute('href');
    return;
  }
  setTimeout(() => {
    link.textContent = label;
    link.removeAttribute('data-copied');
  }, 2000);
});
