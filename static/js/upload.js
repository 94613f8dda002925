// Resumable uploads for the library form (an enhancement: without JavaScript the form posts the file).
// Choosing a file starts a tus upload; pause and resume; after a reload or a dropped connection,
// choosing the same file again resumes it (tus-js-client remembers uploads in localStorage).
(function () {
  "use strict";
  var form = document.querySelector("form[data-tus-endpoint]");
  if (!form || !window.tus || !window.tus.isSupported) { return; }
  var input = form.querySelector("input[type=file]");
  var hidden = form.querySelector("input[name=upload_id]");
  var box = form.querySelector(".uploader");
  var bar = box.querySelector("progress");
  var status = box.querySelector(".upload-status");
  var pause = box.querySelector(".upload-pause");
  var resume = box.querySelector(".upload-resume");
  var kind = form.querySelector("select[name=kind]");
  var limit = Number(form.getAttribute("data-tus-limit"));
  var messages = {};
  box.querySelectorAll(".upload-messages").forEach(function (template) {
    template.content.querySelectorAll("[data-key]").forEach(function (span) {
      messages[span.getAttribute("data-key")] = span.textContent;
    });
  });
  var upload = null;
  var uploading = false;

  form.querySelectorAll(".upload-js-only").forEach(function (el) { el.hidden = false; });

  function say(key, values) {
    var text = messages[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    status.textContent = text;
  }

  function size(bytes) {
    var units = ["B", "KB", "MB", "GB"], value = bytes, i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i += 1; }
    return (i === 0 ? value : value.toFixed(1)) + " " + units[i];
  }

  function reason(error) {
    var response = error && error.originalResponse;
    var body = response && response.getBody && response.getBody();
    return body || (error && error.message) || "";
  }

  function showPaused(paused) {
    pause.hidden = paused;
    resume.hidden = !paused;
  }

  function start(file) {
    if (upload) { upload.abort(); }
    hidden.value = "";
    if (file.size > limit) { box.hidden = false; say("toolarge"); return; }
    upload = new window.tus.Upload(file, {
      endpoint: form.getAttribute("data-tus-endpoint"),
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, filetype: file.type, kind: kind ? kind.value : "" },
      onProgress: function (done, total) {
        bar.value = Math.floor(done / total * 100);
        say("progress", { done: size(done), total: size(total), percent: bar.value });
      },
      onSuccess: function () {
        uploading = false;
        hidden.value = upload.url.split("/").pop();
        input.value = "";  // the form must not send the file a second time
        bar.value = 100;
        pause.hidden = resume.hidden = true;
        say("done");
      },
      onError: function (error) {
        uploading = false;
        showPaused(true);
        resume.hidden = true;
        say("failed", { reason: reason(error) });
      }
    });
    box.hidden = false;
    showPaused(false);
    uploading = true;
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        say("resuming");
      }
      upload.start();
    });
  }

  input.addEventListener("change", function () {
    if (input.files.length) { start(input.files[0]); }
  });
  pause.addEventListener("click", function () {
    if (upload) { upload.abort(); uploading = false; showPaused(true); say("paused"); }
  });
  resume.addEventListener("click", function () {
    if (upload) { upload.start(); uploading = true; showPaused(false); }
  });
  form.addEventListener("submit", function (event) {
    if (uploading) { event.preventDefault(); say("wait"); }
  });
}());
