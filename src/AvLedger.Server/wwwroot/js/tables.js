// On a narrow screen app.css shows each table row as a card; every cell then names its column
// through data-label, copied here from the table's header row (a header spanning columns names
// each of them). A cell that already has a data-label keeps it; without script the table scrolls.
(() => {
  const label = th => th.textContent.replace(/[▲▼]/g, '').replace(/\s+/g, ' ').trim();
  for (const table of document.querySelectorAll('table')) {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) continue;
    const names = [];
    for (const th of head.cells) for (let i = 0; i < th.colSpan; i++) names.push(label(th));
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const name = names[column];
          if (name && !cell.hasAttribute('data-label') && cell.colSpan === 1) cell.setAttribute('data-label', name);
          column += cell.colSpan;
        }
      }
    }
  }
})();
