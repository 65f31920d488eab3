"""Driving JupyterLab 4 and nbgrader's extension with playwright, with the waits that proved robust
(see the course notes: status bar "| Idle", ``runmenu:run-all``, ``keyboard.insert_text``)."""

import re
import time

from playwright.sync_api import Page, expect

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
IMAGES = '.jp-OutputArea-output[data-mime-type="image/png"] img'
TEXT = ('.jp-OutputArea-output[data-mime-type="text/plain"], '
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]')


def open_lab(page: Page, server, path: str = "") -> None:
    """Open the lab (with a reset workspace), or a file by its path under the server's root."""
    target = f"/lab/tree/{path}" if path else "/lab"
    page.goto(f"{server.url}{target}?reset&token={server.token}")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=120_000)


def menu(page: Page, top: str, command: str) -> None:
    """Click a top menu, then the item running ``command`` (a JupyterLab command id)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').click()


def notebook(page: Page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").last


def wait_kernel_idle(page: Page, timeout: float = 120) -> None:
    """The status bar reads "<kernel> | Idle" once a kernel exists and is idle."""
    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle", timeout=timeout * 1000)


def wait_notebook_ready(page: Page, timeout: float = 120) -> None:
    notebook(page).locator(".jp-Cell").first.wait_for(timeout=timeout * 1000)
    wait_kernel_idle(page, timeout)


def set_cell_source(page: Page, index: int, text: str) -> None:
    """Replace the whole text of cell ``index`` as a person would: click in, select all, type.

    ``insert_text`` types the text as one input, so no auto-indent or bracket closing interferes."""
    cell = notebook(page).locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    if "jp-MarkdownCell" in (cell.get_attribute("class") or ""):
        cell.locator(".jp-MarkdownOutput").dblclick()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)
    expect(editor).to_contain_text(text.strip().splitlines()[0][:40])
    page.keyboard.press("Escape")  # leave edit mode


def save(page: Page) -> None:
    notebook(page).locator(".jp-Notebook").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=30_000)


def _prompts(page: Page) -> list[str]:
    return notebook(page).locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()


def run_all(page: Page, timeout: float = 300) -> float:
    """Run > Run All Cells, then wait until every code cell has run (or the run stopped at an error);
    returns the seconds it took."""
    started = time.perf_counter()
    menu(page, "Run", "runmenu:run-all")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        prompts = [p.strip() for p in _prompts(page)]
        running = any("*" in p for p in prompts)
        errors = notebook(page).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
                                        ).filter(has_text=re.compile("Traceback|Error")).count()
        done = prompts and not running and (re.match(r"\[\d+\]", prompts[-1]) or errors)
        if done and "| Idle" in page.locator("#jp-main-statusbar").inner_text():
            return time.perf_counter() - started
        time.sleep(0.5)
    raise TimeoutError(f"Run All did not finish in {timeout:.0f} s; prompts: {_prompts(page)}")


def validate(page: Page, screenshot: str | None = None, timeout: float = 300) -> tuple[str, str]:
    """Press nbgrader's Validate button; (dialog title, dialog text). The dialog is closed afterwards."""
    button = notebook(page).locator("jp-button.validate-button, .validate-button").first
    button.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=timeout * 1000)
    expect(dialog.locator(".jp-Dialog-header")).to_contain_text("Validat")
    title = dialog.locator(".jp-Dialog-header").inner_text()
    body = dialog.locator(".jp-Dialog-body").inner_text()
    if screenshot:
        page.screenshot(path=screenshot)
    dialog.locator(".jp-Dialog-button").last.click()
    expect(dialog).to_have_count(0)
    return title, body


def outputs(page: Page) -> dict[str, object]:
    """What the open notebook shows: counts of images, text outputs, stderr outputs and their text."""
    nb = notebook(page)
    return {"images": nb.locator(IMAGES).count(), "texts": nb.locator(TEXT).count(),
            "stderr": nb.locator(STDERR).all_inner_texts()}
