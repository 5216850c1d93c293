// OpsMap field service worker: keeps the page shell and the day's stops on the phone.
// Network first (a commander's change must reach the team when there is signal), the cached
// copy when there is none. Actions are never cached or replayed here: the page's queue does
// that with idempotency keys, so nothing is sent twice by two mechanisms.
"use strict";
const CACHE = "opsmap-field-v1";
const SHELL = ["/field", "/field/static/field.js", "/field/static/field.css"];
const STOPS = "/api/field/stops";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = new URL(request.url).pathname;
  if (!SHELL.includes(path) && path !== STOPS) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(path, copy));
        }
        return response;
      })
      .catch(() => caches.match(path).then((hit) => hit || Response.error()))
  );
});
