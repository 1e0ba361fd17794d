// Set an image's focal point by clicking its preview. Progressive enhancement: the two number
// fields named by data-focal-x-input / data-focal-y-input work without this script.
(function () {
  "use strict";

  function setUp(box) {
    var image = box.querySelector("img");
    var marker = box.querySelector(".focal-point-marker");
    var inputX = document.getElementById(box.dataset.focalXInput);
    var inputY = document.getElementById(box.dataset.focalYInput);
    if (!image || !marker || !inputX || !inputY) return;

    function clamp(value) {
      var number = parseFloat(value);
      if (isNaN(number)) return 0.5;
      return Math.min(1, Math.max(0, number));
    }

    function show() {
      marker.style.left = clamp(inputX.value) * 100 + "%";
      marker.style.top = clamp(inputY.value) * 100 + "%";
      marker.hidden = false;
    }

    box.classList.add("focal-point-active");
    image.addEventListener("click", function (event) {
      var rect = image.getBoundingClientRect();
      inputX.value = clamp((event.clientX - rect.left) / rect.width).toFixed(3);
      inputY.value = clamp((event.clientY - rect.top) / rect.height).toFixed(3);
      show();
    });
    inputX.addEventListener("input", show);
    inputY.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal-point]").forEach(setUp);
  });
})();
