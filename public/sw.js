// Roadshow's service worker: opens the door's pages (an event's check-in and lead capture)
// without a network, once a phone has prepared that event. The page keeps what is needed
// in two caches itself (see app/src/door/browser.rs): the door's pages as the server
// renders them without any guest ("roadshow-door-pages"), and the files the page loaded
// ("roadshow-door-assets"). This worker only answers from them when the network cannot:
//
// - a door page is asked of the network first; when the network fails (or takes longer
//   than 4 s) the kept page answers, if the phone prepared that event;
// - a file is asked of the network first, the kept copy answering when it fails; each
//   file fetched while a door is kept is kept too (so a build deployed after the door
//   was prepared opens offline as well);
// - nothing else is touched: other pages, server functions and the live stream go to the
//   network as if there were no worker.
const PAGES = "roadshow-door-pages";
const ASSETS = "roadshow-door-assets";
const PATIENCE_MS = 4000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const DOOR_PAGE = /^\/admin\/events\/\d+\/(check-in|capture)$/;
const isAsset = (path) =>
  path.startsWith("/pkg/") || path.startsWith("/icons/") ||
  ["/scan.js", "/favicon.svg", "/manifest.webmanifest"].includes(path);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && DOOR_PAGE.test(url.pathname)) {
    event.respondWith(networkOr(request, () => kept(PAGES, url.pathname)));
  } else if (isAsset(url.pathname)) {
    event.respondWith(
      networkOr(request, () => kept(ASSETS, url.pathname + url.search)).then((response) => {
        // While a door is kept, each file fetched is kept too (a build deployed since the
        // door was prepared); once the doors are removed (signing out), nothing is.
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          event.waitUntil(
            caches.has(PAGES).then((kept) => kept && caches.open(ASSETS).then((cache) => cache.put(request, copy))),
          );
        }
        return response;
      }),
    );
  }
});

async function kept(cache, key) {
  return (await caches.open(cache)).match(key);
}

// The network's answer; the kept copy when the network fails, or is slower than
// PATIENCE_MS and a copy is kept.
function networkOr(request, fallback) {
  return new Promise((resolve, reject) => {
    let done = false;
    const answer = (response) => {
      if (!done && response) {
        done = true;
        resolve(response);
      }
      return !!response;
    };
    const timer = setTimeout(() => fallback().then(answer), PATIENCE_MS);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        answer(response);
      },
      async (error) => {
        clearTimeout(timer);
        if (!answer(await fallback()) && !done) {
          done = true;
          reject(error);
        }
      },
    );
  });
}
