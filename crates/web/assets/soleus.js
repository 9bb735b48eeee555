// Soleus's own script. Every flow works without it; it adds three things a browser does
// better with it. Nothing here is evaluated from text, and nothing comes from elsewhere.
"use strict";

// 1. The body map: a region drawn on the map (data-region="CODE") toggles the checkbox of the
//    same value in the form, and shows it as chosen. Keyboard: Enter or Space on a region.
function bodyMap() {
  document.querySelectorAll("[data-region]").forEach(function (shape) {
    var code = shape.getAttribute("data-region");
    var boxes = document.querySelectorAll('input[type="checkbox"][value="' + CSS.escape(code) + '"]');
    if (boxes.length === 0) return;
    function show() {
      var on = boxes[0].checked;
      document.querySelectorAll('[data-region="' + CSS.escape(code) + '"]').forEach(function (s) {
        s.classList.toggle("chosen", on);
        s.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    function toggle(ev) {
      ev.preventDefault();
      boxes.forEach(function (b) { b.checked = !b.checked; });
      boxes[0].dispatchEvent(new Event("change", { bubbles: true }));
      show();
    }
    shape.setAttribute("role", "button");
    shape.setAttribute("tabindex", "0");
    shape.addEventListener("click", toggle);
    shape.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") toggle(ev);
    });
    boxes.forEach(function (b) { b.addEventListener("change", show); });
    show();
  });
}

// 2. Uploads: files dropped on a drop zone (data-dropzone) go to its file input.
function dropZones() {
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var input = zone.querySelector('input[type="file"]');
    var list = zone.querySelector("[data-chosen]");
    if (!input) return;
    function showChosen() {
      if (!list) return;
      var n = input.files ? input.files.length : 0;
      list.textContent = n === 0 ? "" : n === 1 ? "1 file chosen: " + input.files[0].name : n + " files chosen";
    }
    zone.addEventListener("dragover", function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      zone.classList.remove("over");
      if (ev.dataTransfer && ev.dataTransfer.files.length > 0) {
        input.files = ev.dataTransfer.files;
        showChosen();
      }
    });
    input.addEventListener("change", showChosen);
  });
}

// 3. Progress: an element with data-poll="URL" asks URL (a JSON document with "done",
//    "message" and optionally "percent") every second, shows the message, and when the work
//    is done goes to data-done.
function progress() {
  document.querySelectorAll("[data-poll]").forEach(function (el) {
    var url = el.getAttribute("data-poll");
    var done = el.getAttribute("data-done");
    var bar = el.querySelector("progress");
    var text = el.querySelector("[data-message]");
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (doc) {
          if (text && typeof doc.message === "string") text.textContent = doc.message;
          if (bar && typeof doc.percent === "number") bar.value = doc.percent;
          if (doc.done) { if (done) window.location.assign(done); }
          else window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, 500);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  bodyMap();
  dropZones();
  progress();
});
