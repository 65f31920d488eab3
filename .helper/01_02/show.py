import sys, base64, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
out = sys.argv[2]; k = 0
for i, c in enumerate(nb.cells):
    if c.cell_type != "code": continue
    for o in c.get("outputs", []):
        if "data" in o and "image/png" in o["data"]:
            open(f"{out}_{i:02d}.png", "wb").write(base64.b64decode(o["data"]["image/png"])); k += 1
        elif o.get("output_type") == "stream":
            print(f"[{i}]", o["text"][:1500])
        elif "data" in o and "text/plain" in o["data"]:
            print(f"[{i}]", o["data"]["text/plain"][:300])
print(k, "images")
