"""A real browser for the HTML paper: Debian's chromium, headless, and axe-core from npm.

.ci/run installs both (chromium with apt-get, axe-core with npm into .cache/node). Either missing is a
failure, never a skip: the accessibility check is part of what the suite promises.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("AXE_CORE_JS", ROOT / ".cache/node/node_modules/axe-core/axe.min.js"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RESULT = re.compile(r'<pre id="test-result">(.*?)</pre>', re.S)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed: run .ci/run as root (it runs apt-get install -y chromium)"
    return found


def axe_source() -> str:
    assert AXE.is_file(), f"axe-core is not installed at {AXE}: run .ci/run (npm install axe-core into .cache/node)"
    return AXE.read_text(encoding="utf-8")


def _run(args: list[str], timeout: int = 120) -> str:
    done = subprocess.run(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def run_in_page(page: Path, script: str, work: Path, width: int = 1280) -> object:
    """Run script in page, shown in a frame width pixels wide, and return what it reports.

    A wrapper page holds the page in an iframe (headless chromium will not make a window under 500 pixels;
    a frame can be a phone's 320). script sees the frame's window as `win` and its document as `doc`, and
    must call report(value); the value is written into the wrapper's DOM and read back with --dump-dom.
    The page under test is loaded as it is: it carries no script of its own.
    """
    wrapper = work / f"run-{page.stem}-{width}.html"
    wrapper.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>run</title></head><body>"
        f"<iframe id='f' title='page' style='width:{width}px;height:900px;border:0' src={json.dumps(page.as_uri())}>"
        "</iframe><script>function report(value){var pre=document.createElement('pre');pre.id='test-result';"
        "pre.textContent=JSON.stringify(value);document.body.appendChild(pre);}\n"
        "document.getElementById('f').addEventListener('load',function(){var win=this.contentWindow,"
        "doc=this.contentDocument;try{" + script + "}catch(e){report({error:String(e)});}});</script></body></html>",
        encoding="utf-8",
    )
    dom = _run(
        [
            "--window-size=1400,1000",
            "--allow-file-access-from-files",
            "--virtual-time-budget=60000",
            "--run-all-compositor-stages-before-draw",
            "--dump-dom",
            wrapper.as_uri(),
        ]
    )
    match = _RESULT.search(dom)
    assert match, f"the script left no result in {wrapper}: {dom[-500:]}"
    text = match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    value = json.loads(text)
    assert not (isinstance(value, dict) and "error" in value), value
    return value


def axe_violations(page: Path, work: Path, width: int = 1280) -> list[dict[str, object]]:
    """axe-core's WCAG 2.1 A and AA violations of page in chromium at width pixels, as axe reports them."""
    source = work / "axe.min.js"
    source.write_text(axe_source(), encoding="utf-8")
    script = (
        "var s=doc.createElement('script');s.src=" + json.dumps(source.as_uri()) + ";"
        "s.onload=function(){win.axe.run(doc,{runOnly:{type:'tag',values:" + json.dumps(WCAG_TAGS) + "},"
        "resultTypes:['violations']}).then(function(r){report({width:win.innerWidth,"
        "violations:r.violations.map(function(v){"
        "return {id:v.id,impact:v.impact,help:v.help,nodes:v.nodes.slice(0,5).map(function(n){"
        "return n.target.join(' ')+' :: '+n.failureSummary;})};}),passes:r.passes.length});},"
        "function(e){report({error:String(e)});});};"
        "s.onerror=function(){report({error:'axe-core did not load'});};"
        "doc.head.appendChild(s);"
    )
    result = run_in_page(page, script, work, width)
    assert isinstance(result, dict)
    assert result["width"] == width, result
    assert int(result["passes"]) > 10, f"axe-core checked almost nothing: {result}"  # it really ran
    return list(result["violations"])  # type: ignore[arg-type]


def screenshot(page: Path, out: Path, width: int, height: int = 2400) -> Path:
    _run([f"--window-size={width},{height}", f"--screenshot={out}", page.as_uri()])
    assert out.is_file()
    return out
