// Upload progress for htmx forms marked data-upload-progress="<id of a <progress>>".
// A file of its own: the Content-Security-Policy allows no inline script.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest && event.target.closest("form[data-upload-progress]");
  const bar = form && document.getElementById(form.dataset.uploadProgress);
  if (bar && event.detail.lengthComputable && event.detail.total > 0) {
    const percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.value = percent;
    bar.textContent = `${percent} %`;
  }
});
