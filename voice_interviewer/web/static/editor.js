// The coding round's editor in the page (server side: voice_interviewer/web/editor.py).
// CodeMirror 5 (vendored, ~190 kB) is fetched only when a coding round starts; until it
// arrives, or if it cannot load, the plain textarea underneath is the editor.
// The code goes back to the server 500 ms after typing stops, and at once with "Run tests".
'use strict';
window.viEditor = (() => {
  const $ = (id) => document.getElementById(id);
  const DEBOUNCE_MS = 500;
  const LIB = '/static/vendor/codemirror/codemirror';
  let cm = null, loading = null, problem = null, send = () => {}, timer = null, lastSent = null;

  function loadLib() {
    if (loading) return loading;
    loading = new Promise((resolve) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet'; css.href = `${LIB}.css`;
      document.head.append(css);
      const script = document.createElement('script');
      script.src = `${LIB}.min.js`;
      script.onload = () => resolve(window.CodeMirror || null);
      script.onerror = () => resolve(null);
      document.head.append(script);
    });
    return loading;
  }

  async function ensureEditor() {
    const CM = await loadLib();
    if (!CM || cm) return cm;
    cm = CM.fromTextArea($('code'), {
      mode: 'python', lineNumbers: true, indentUnit: 4, tabSize: 4, indentWithTabs: false,
      matchBrackets: true, autoCloseBrackets: true, lineWrapping: true, screenReaderLabel: 'Python code editor',
      extraKeys: {
        Tab: (ed) => (ed.somethingSelected() ? ed.indentSelection('add') : ed.execCommand('insertSoftTab')),
        'Shift-Tab': 'indentLess',
        'Ctrl-Enter': () => runTests(), 'Cmd-Enter': () => runTests(),
        Esc: () => $('run-tests').focus(), // Tab indents, so Esc is the way out of the editor
      },
    });
    cm.on('changes', changed);
    document.querySelector('.code-card').classList.add('enhanced');
    return cm;
  }

  const value = () => (cm ? cm.getValue() : $('code').value);
  function setValue(text) {
    if (cm) { cm.setValue(text); cm.clearHistory(); } else $('code').value = text;
  }

  function changed() {
    clearTimeout(timer);
    if (!problem) return;
    saved('editing…');
    timer = setTimeout(() => push(false), DEBOUNCE_MS);
  }

  function push(run) {
    clearTimeout(timer);
    if (!problem) return;
    const code = value();
    if (!run && code === lastSent) { saved('saved'); return; }
    send({ type: 'code', problem_id: problem, code, run });
    lastSent = code;
    saved(run ? 'sent for a test run' : 'saved');
  }
  function saved(text) { $('code-saved').textContent = text; }

  function runTests() {
    if (!problem) return;
    push(true);
    showResult({ pending: true });
  }

  function show(on) {
    $('code-card').hidden = !on;
    document.querySelector('.live').classList.toggle('coding', on);
    document.body.classList.toggle('coding', on);
    if (on) { // CodeMirror measures itself: tell it once it is visible
      requestAnimationFrame(() => cm && cm.refresh());
    }
  }

  // A coding question has started: show the panel and fetch CodeMirror before the starter arrives.
  function prepare() {
    show(true);
    ensureEditor();
  }

  async function open(problemId, starter) {
    problem = null; // no "changed" message for the starter itself
    show(true);
    $('code-problem').textContent = problemId.replace(/-/g, ' ');
    showResult(null);
    await ensureEditor();
    setValue(starter || '');
    if (cm) placeCursor(); else $('code').focus();
    problem = problemId; lastSent = value(); // from here on, changes are the candidate's
    saved('');
  }

  // At the end of the starter, on a body line already indented: the candidate types straight away.
  function placeCursor() {
    cm.focus();
    cm.execCommand('goDocEnd');
    const last = cm.lastLine();
    if (cm.getLine(last).trim()) return;
    let above = last - 1;
    while (above >= 0 && !cm.getLine(above).trim()) above -= 1;
    if (above < 0) return;
    const text = cm.getLine(above);
    const indent = text.match(/^\s*/)[0].length + (/:\s*$/.test(text) ? 4 : 0);
    cm.replaceRange(' '.repeat(indent), { line: last, ch: 0 }, { line: last });
  }

  function close() {
    if (problem) push(false); // whatever was typed in the last half second
    problem = null;
    show(false);
  }

  // The interview ran the hidden tests (a CodeRun event).
  function showResult(run) {
    const box = $('run-result');
    box.hidden = !run;
    if (!run) return;
    box.textContent = '';
    const head = document.createElement('p');
    head.className = 'run-head';
    if (run.pending) {
      head.textContent = 'Asked the interviewer to run the tests…';
      box.append(head);
      return;
    }
    const badge = document.createElement('span');
    const all = run.total > 0 && run.passed === run.total;
    badge.className = `badge ${all ? 'ok' : 'bad'}`;
    badge.textContent = run.total ? `${run.passed} / ${run.total} tests passed` : 'tests not run';
    head.append(badge);
    const told = [run.error, ...(run.shown_failures || [])].join(' ');
    if (run.complexity && !told.includes(run.complexity)) head.append(` scaling: ${run.complexity}`); // said once
    saved('');
    box.append(head);
    if (run.error) box.append(para('run-error', run.error));
    (run.shown_failures || []).forEach((f) => box.append(para('run-failure', f, 'code')));
    if (run.summary) box.append(para('run-said', `Interviewer: “${run.summary}”`));
    box.scrollIntoView({ block: 'nearest' }); // on a short window the result may sit below the fold
  }
  function para(cls, text, tag) {
    const p = document.createElement(tag === 'code' ? 'pre' : 'p');
    p.className = cls; p.textContent = text;
    return p;
  }

  // Before CodeMirror loads (or if it never does): the textarea, with the same keys.
  $('code').addEventListener('input', changed);
  $('code').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runTests(); }
  });
  $('run-tests').addEventListener('click', runTests);

  return {
    init(sendFn) { send = sendFn; },
    prepare, open, close, showResult, value,
    get problem() { return problem; },
  };
})();
