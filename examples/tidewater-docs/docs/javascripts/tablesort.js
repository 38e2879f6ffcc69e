// Material for MkDocs' documented tablesort set-up (Reference > Data tables): every plain table
// of a page's content becomes sortable by a click on its header.
document$.subscribe(function () {
  var tables = document.querySelectorAll("article table:not([class])");
  tables.forEach(function (table) {
    new Tablesort(table);
  });
});
