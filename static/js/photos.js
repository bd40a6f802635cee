// Photos leave the phone small: a chosen photo is redrawn at most 1280 px on its long side
// (upright, as the camera meant it) and put back into its field as a JPEG, so a form, htmx and
// the outbox all send a few hundred KB instead of a 4–8 MB camera file. The server still checks
// and re-encodes whatever arrives; a file this page cannot read is sent as it was chosen.
(function () {
  "use strict";

  var LONGEST_SIDE = 1280;
  var QUALITY = 0.85;
  var SENT_AS_THEY_ARE = ["image/jpeg", "image/webp"];
  var working = new WeakMap(); // field -> the promise of its current shrinking
  var turns = new WeakMap(); // field -> how many times a file was chosen in it
  var waiting = new WeakSet(); // forms whose submit waits for their photos
  var made = new WeakSet(); // files this page made: not shrunk again

  function isPhotoField(element) {
    return element instanceof HTMLInputElement && element.type === "file" &&
      /image/.test(element.accept || "image");
  }

  function decode(file) {
    if (typeof createImageBitmap === "function") {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return decodeWithImage(file);
      });
    }
    return decodeWithImage(file);
  }

  // Older browsers: an <img> applies the photo's orientation when it is drawn.
  function decodeWithImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () {
        URL.revokeObjectURL(url);
        resolve(image);
      };
      image.onerror = function () {
        URL.revokeObjectURL(url);
        reject(new Error("not an image this browser reads"));
      };
      image.src = url;
    });
  }

  function encoded(canvas, type) {
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, type, QUALITY);
    });
  }

  function hasTransparency(context, width, height) {
    var pixels = context.getImageData(0, 0, width, height).data;
    for (var i = 3; i < pixels.length; i += 4) {
      if (pixels[i] < 255) return true;
    }
    return false;
  }

  function renamed(name, extension) {
    var base = (name || "").replace(/\.[^./\\]*$/, "") || "photo";
    return base + extension;
  }

  // The file to send instead of `file`; `file` itself when it is fine as it is or unreadable.
  function shrink(file) {
    if (made.has(file) || !/^image\//.test(file.type || "image/")) return Promise.resolve(file);
    return decode(file).then(function (picture) {
      var width = picture.width;
      var height = picture.height;
      var tooLarge = Math.max(width, height) > LONGEST_SIDE;
      if (!tooLarge && SENT_AS_THEY_ARE.indexOf(file.type) !== -1) {
        if (picture.close) picture.close();
        return file;
      }
      var scale = Math.min(1, LONGEST_SIDE / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var context = canvas.getContext("2d");
      context.imageSmoothingEnabled = true;
      context.imageSmoothingQuality = "high";
      context.drawImage(picture, 0, 0, canvas.width, canvas.height);
      if (picture.close) picture.close();
      // A logo with a transparent background keeps it (WebP where the browser writes it);
      // a photo goes as JPEG, over white where it had transparent parts.
      var transparent = file.type !== "image/jpeg" &&
        hasTransparency(context, canvas.width, canvas.height);
      var first = transparent ? encoded(canvas, "image/webp") : Promise.resolve(null);
      return first.then(function (blob) {
        if (blob && blob.type === "image/webp") return blob;
        if (transparent && !tooLarge) return null;
        if (transparent) return encoded(canvas, "image/png");
        context.globalCompositeOperation = "destination-over";
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        return encoded(canvas, "image/jpeg");
      }).then(function (blob) {
        // Within the size already and not smaller as a new file: the chosen one goes.
        if (!blob || (!tooLarge && blob.size >= file.size)) return file;
        var extension = { "image/jpeg": ".jpg", "image/webp": ".webp", "image/png": ".png" };
        var result = new File([blob], renamed(file.name, extension[blob.type] || ".jpg"), {
          type: blob.type,
          lastModified: file.lastModified,
        });
        made.add(result);
        return result;
      });
    }).catch(function () {
      return file;
    });
  }

  function shrinkField(field) {
    var files = Array.prototype.slice.call(field.files || []);
    if (!files.length || typeof DataTransfer !== "function") return;
    var turn = (turns.get(field) || 0) + 1;
    turns.set(field, turn);
    // One at a time: a phone holds one decoded 12 MP photo in memory, not several.
    var done = files.reduce(function (previous, file) {
      return previous.then(function (results) {
        return shrink(file).then(function (result) { return results.concat([result]); });
      });
    }, Promise.resolve([])).then(function (results) {
      if (turns.get(field) !== turn) return; // another file was chosen meanwhile
      var changed = results.some(function (result, index) { return result !== files[index]; });
      if (changed) {
        var transfer = new DataTransfer();
        results.forEach(function (result) { transfer.items.add(result); });
        field.files = transfer.files;
      }
    }).catch(function (error) {
      console.warn("photo not shrunk", error);
    }).then(function () {
      if (working.get(field) === done) {
        working.delete(field);
        if (field.form && !isBusy(field.form)) field.form.removeAttribute("aria-busy");
      }
    });
    working.set(field, done);
    if (field.form) field.form.setAttribute("aria-busy", "true");
  }

  // Resolves once every photo of the form is shrunk (at once when none is being shrunk).
  function photosReady(form) {
    var pending = Array.prototype.filter.call((form && form.elements) || [], function (element) {
      return working.has(element);
    }).map(function (element) { return working.get(element); });
    if (!pending.length) return Promise.resolve();
    return Promise.all(pending).then(function () { return photosReady(form); });
  }

  function isBusy(form) {
    return Array.prototype.some.call(form.elements || [], function (element) {
      return working.has(element);
    });
  }

  document.addEventListener("change", function (event) {
    if (isPhotoField(event.target)) shrinkField(event.target);
  });

  // A submit while photos are being shrunk waits for them, then goes as the person sent it
  // (the same button, so htmx and the server see which one).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !isBusy(form)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (waiting.has(form)) return;
    waiting.add(form);
    var submitter = event.submitter;
    photosReady(form).then(function () {
      waiting.delete(form);
      if (submitter && submitter.form === form && !submitter.disabled) {
        submitter.click();
      } else if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  }, true);

  window.clothingLine = window.clothingLine || {};
  window.clothingLine.photosReady = photosReady;
})();
