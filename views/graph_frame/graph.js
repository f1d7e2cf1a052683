// The lineage graph in its Streamlit frame: draws the network the server sends (nodes, edges and options built with
// pyvis, drawn by vis-network), and keeps the same vis-network instance across reruns, so a new search or filter
// only swaps the data instead of reloading the page and its 470 KB library.
//
// Streamlit's component protocol (postMessage; no build step, no npm package): the frame says it is ready, the
// app sends "streamlit:render" with the arguments on every rerun, and the frame asks for its height.
(function () {
  "use strict";
  var current = null;   // the drawing's arguments: nodes, edges, options, poster, target, height, min_scale
  var drawnVersion = null;
  var container = document.getElementById("mynetwork");

  function send(type, extra) {
    var message = {isStreamlitMessage: true, type: type};
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    window.parent.postMessage(message, "*");
  }

  function setHeight(px) {
    container.style.height = (px - 12) + "px";
    send("streamlit:setFrameHeight", {height: px});
  }

  function openPage(node) {
    // the frame is same-origin with the app: a link added to the app's own document keeps Streamlit's routing
    var doc = window.parent.document;
    var link = doc.createElement("a");
    link.href = new URL("model?model=" + encodeURIComponent(node), window.parent.location.href).href;
    link.setAttribute("data-testid", "graph-node-link");
    doc.body.appendChild(link);
    link.click();
  }

  function bounds() {
    var box = {left: Infinity, right: -Infinity, top: Infinity};
    network.body.nodeIndices.forEach(function (id) {
      var b = network.getBoundingBox(id);
      box.left = Math.min(box.left, b.left); box.right = Math.max(box.right, b.right); box.top = Math.min(box.top, b.top);
    });
    return box;
  }

  function reset() {
    // what a phone poster changes (a wider drawing, pinned names, drag that scrolls) is undone before each drawing
    document.body.classList.remove("poster-scrolls");
    container.style.width = "100%";
    pinned.textContent = "";
    network.setOptions({interaction: {dragView: true, dragNodes: true}});
  }

  function fitWidth() {
    // the poster: its full width at (at most) the scale it was laid out for, so every name is written at its size;
    // the page scrolls down the poster, and the wheel does not zoom (the buttons do)
    var b = bounds(), poster = current.poster;
    var frame = container.getBoundingClientRect();
    var scale = Math.min(1, (frame.width - 16) / (b.right - b.left));
    if (scale < current.min_scale) {
      // a narrow frame (a phone): keep the names readable and let the drawing scroll sideways inside the frame
      // (the app's page stays as wide as the screen); touch and drag then scroll instead of panning
      scale = 1;
      var wide = Math.ceil(b.right - b.left + 16);
      container.style.width = wide + "px";
      document.body.classList.add("poster-scrolls");
      network.setOptions({interaction: {dragView: false, dragNodes: false}});
      network.setSize(wide + "px", container.style.height);
      pinBandNames();
    } else if (scale < 1) {
      // a little narrower than the drawing: draw it a little smaller, and shrink the frame with it
      setHeight(Math.ceil(Math.min(current.height, (poster.height + 40) * scale + 130)));
      network.setSize("100%", container.style.height);
    }
    frame = container.getBoundingClientRect();
    network.moveTo({position: {x: (b.left + b.right) / 2, y: b.top + (frame.height / 2 - 8) / scale}, scale: scale});
    if (pinned.childElementCount) { placeBandNames(); }
  }

  // On a phone the drawing scrolls sideways: the organization names move to a column pinned to the frame's left
  // edge (position: sticky), so the bands keep their names wherever the drawing is scrolled.
  var pinned = document.getElementById("band-names");

  function pinBandNames() {
    var bands = current.poster.bands || [];
    network.body.data.nodes.update(bands.map(function (band) { return {id: band.id, hidden: true}; }));
    bands.forEach(function (band) {
      var name = document.createElement("div");
      name.className = "band-name";
      name.textContent = band.name;
      name.dataset.y = band.y;
      pinned.appendChild(name);
    });
  }

  function placeBandNames() {
    var top = container.getBoundingClientRect().top - pinned.getBoundingClientRect().top;
    Array.prototype.forEach.call(pinned.children, function (name) {
      name.style.top = (top + network.canvasToDOM({x: 0, y: Number(name.dataset.y)}).y - 8) + "px";
    });
  }

  function focusTarget() {
    // a whole large graph fitted into the frame would draw names too small to read: start closer, on the target
    var target = current.target;
    if (network.getScale() < 0.5 && target !== null && network.body.nodes[target]) {
      var at = network.getPositions([target])[target];
      network.moveTo({position: {x: at.x - 300, y: at.y}, scale: 0.65});
    }
  }

  function wire() {
    network.on("click", function (params) {
      if (!params.nodes.length || String(params.nodes[0]).startsWith("label:")) { return; }
      openPage(params.nodes[0]);
    });
    network.on("hoverNode", function () { document.body.style.cursor = "pointer"; });
    network.on("blurNode", function () { document.body.style.cursor = "default"; });
    network.on("beforeDrawing", function (ctx) {
      ctx.save();  // a white background, so "Save as PNG" is not transparent
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
      var poster = current && current.poster;
      if (!poster) { return; }
      ctx.fillStyle = "#f4f6f8";  // light stripes behind the organization bands
      poster.stripes.forEach(function (s, i) { if (i % 2 === 0) { ctx.fillRect(0, s[0], poster.width, s[1] - s[0]); } });
    });
    document.getElementById("save-png").onclick = function () {
      var link = document.createElement("a");
      link.download = "lineage-graph.png";
      link.href = container.querySelector("canvas").toDataURL("image/png");
      link.click();
    };
  }

  function draw(args) {
    current = args;
    setHeight(args.height);
    var data = {nodes: new vis.DataSet(args.nodes), edges: new vis.DataSet(args.edges)};
    if (window.network) {
      network.setOptions(args.options);
      network.setData(data);
      network.setSize("100%", container.style.height);
    } else {
      window.network = new vis.Network(container, data, args.options);
      wire();
    }
    // names are measured when first drawn: place the view once they have been
    network.once("afterDrawing", function () {
      reset();
      if (args.poster) { fitWidth(); } else { network.fit(); focusTarget(); }
    });
    network.redraw();
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "streamlit:render" || !data.args) { return; }
    if (data.args.version === drawnVersion) { return; }  // a rerun that changed nothing in the drawing
    drawnVersion = data.args.version;
    draw(data.args);
  });
  if (window.frameElement) { window.frameElement.title = "Lineage graph"; }
  send("streamlit:componentReady", {apiVersion: 1});
})();
