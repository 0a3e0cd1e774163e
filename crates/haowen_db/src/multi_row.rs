//! Multi-row statements: the `VALUES ($1, $2), ($3, $4) …` list for a batch of rows, so a
//! batch costs one round trip to the database instead of one per row.

use sqlx::AnyConnection;

/// Rows per statement for a table of up to 64 columns: under SQLite's 32,766 bound values and
/// PostgreSQL's 65,535.
pub(crate) const ROWS_PER_STATEMENT: usize = 500;

/// `($1, $2, …), (…)` for `rows` rows of `columns` values each — on SQLite `(?, ?, …)`: the
/// driver looks each `$N` up by name, a scan of every name in the statement, so a statement
/// with 8,000 numbered values spent most of an import's database time finding them.
pub(crate) fn placeholders(conn: &AnyConnection, rows: usize, columns: usize) -> String {
    numbered_placeholders(conn.backend_name() != "SQLite", rows, columns)
}

fn numbered_placeholders(numbered: bool, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push('$');
                sql.push_str(&(r * columns + c + 1).to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::numbered_placeholders;

    #[test]
    fn numbers_every_value_once_in_order() {
        assert_eq!(
            numbered_placeholders(true, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(numbered_placeholders(true, 1, 1), "($1)");
        assert_eq!(numbered_placeholders(false, 2, 2), "(?, ?), (?, ?)");
    }
}
