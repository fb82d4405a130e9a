// "New since your last visit" on the home page. Each dated item carries
// data-date (YYYY-MM-DD, its newest report). The newest date this page showed
// is kept in this browser's localStorage, under a key naming the site's path
// (read off this script's own address, <root>/assets/javascripts/...); on the
// next visit the items after it get a "New" badge. Nothing else is stored,
// no cookie is set and nothing is sent anywhere. The first visit shows no
// badge; without JavaScript, or without storage (private mode, storage
// turned off), the page is the same minus the badges.
(function () {
  "use strict";
  var self = document.currentScript;
  var items = document.querySelectorAll("[data-date]");
  if (!self || !items.length) return;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;
  var key = "briefings:last-visit:" + new URL("../../", self.src).pathname;
  var last = null;
  try {
    last = window.localStorage.getItem(key);
  } catch (e) {
    return;
  }
  if (last !== null && !ISO.test(last)) last = null;
  var newest = "";
  items.forEach(function (item) {
    var date = item.getAttribute("data-date") || "";
    if (!ISO.test(date)) return;
    if (date > newest) newest = date;
    if (last === null || date <= last) return;
    var badge = document.createElement("span");
    badge.className = "bf-new";
    badge.textContent = "New";
    var hidden = document.createElement("span");
    hidden.className = "bf-visually-hidden";
    hidden.textContent = " since your last visit";
    badge.appendChild(hidden);
    var title = item.querySelector("a");
    if (title) {
      title.after(" ", badge);
    } else {
      item.prepend(badge, " ");
    }
  });
  if (newest && (last === null || newest > last)) {
    try {
      window.localStorage.setItem(key, newest);
    } catch (e) {
      // Storage full or refused: the next visit shows no badges, as a first visit.
    }
  }
})();
