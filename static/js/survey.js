// Enhancement only: hide the "evidence" box while the strength above it is below 3.
// The server keeps evidence only when the strength is 3 or more, with or without this file.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-show-when]").forEach(function (box) {
    var name = box.getAttribute("data-show-when");
    var min = parseInt(box.getAttribute("data-min"), 10);
    var radios = document.querySelectorAll('input[name="' + name + '"]');
    function update() {
      var checked = document.querySelector('input[name="' + name + '"]:checked');
      box.hidden = !(checked && parseInt(checked.value, 10) >= min);
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
});
