// The app of `npm run bench:lb`, served both directly and behind the local load balancer: plain
// node:http on PORT with /ping, a small JSON echo, and a stream whose first chunk goes out at once.
import { createServer } from "node:http";

const port = Number(process.env.PORT);
createServer((req, res) => {
  if (req.url === "/ping") return res.writeHead(200).end();
  if (req.url === "/json") {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.stringify({
        ok: true,
        echo: JSON.parse(Buffer.concat(chunks).toString() || "null"),
      });
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    });
    return;
  }
  if (req.url === "/stream") {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: first\n\n");
    let n = 0;
    const timer = setInterval(() => {
      res.write(`data: ${++n}\n\n`);
      if (n === 3) {
        clearInterval(timer);
        res.end();
      }
    }, 2);
    return;
  }
  res.writeHead(404).end();
}).listen(port, "0.0.0.0", () => console.log(`listening on ${port}`));
