"""What a parsed statement is, in the words of its SQL (`CREATE FUNCTION`, `NOTIFY`)."""

from __future__ import annotations

import re

from pglast import ast, enums

_NAMES = {
    "CreateStmt": "CREATE TABLE",
    "IndexStmt": "CREATE INDEX",
    "ViewStmt": "CREATE VIEW",
    "RuleStmt": "CREATE RULE",
    "VariableSetStmt": "SET",
    "VariableShowStmt": "SHOW",
    "DoStmt": "DO",
    "SelectStmt": "SELECT",
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
    "CopyStmt": "COPY",
    "CallStmt": "CALL",
    "CommentStmt": "COMMENT",
    "DropStmt": "DROP",
    "CreateTrigStmt": "CREATE TRIGGER",
    "CreateEventTrigStmt": "CREATE EVENT TRIGGER",
    "CreateSeqStmt": "CREATE SEQUENCE",
    "AlterSeqStmt": "ALTER SEQUENCE",
    "CreateSchemaStmt": "CREATE SCHEMA",
    "CreateExtensionStmt": "CREATE EXTENSION",
    "CreatePLangStmt": "CREATE LANGUAGE",
    "CreateTableAsStmt": "CREATE TABLE AS",
    "RenameStmt": "ALTER … RENAME",
    "AlterOwnerStmt": "ALTER … OWNER TO",
    "AlterObjectSchemaStmt": "ALTER … SET SCHEMA",
    "GrantRoleStmt": "GRANT role",
    "AlterRoleSetStmt": "ALTER ROLE … SET",
    "AlterDefaultPrivilegesStmt": "ALTER DEFAULT PRIVILEGES",
    "ExplainStmt": "EXPLAIN",
    "LockStmt": "LOCK",
    "ExecuteStmt": "EXECUTE",
}
_TRANSACTIONS = {
    enums.TransactionStmtKind.TRANS_STMT_BEGIN: "BEGIN",
    enums.TransactionStmtKind.TRANS_STMT_START: "BEGIN",
    enums.TransactionStmtKind.TRANS_STMT_COMMIT: "COMMIT",
    enums.TransactionStmtKind.TRANS_STMT_ROLLBACK: "ROLLBACK",
    enums.TransactionStmtKind.TRANS_STMT_SAVEPOINT: "SAVEPOINT",
    enums.TransactionStmtKind.TRANS_STMT_RELEASE: "RELEASE",
    enums.TransactionStmtKind.TRANS_STMT_ROLLBACK_TO: "ROLLBACK TO",
    enums.TransactionStmtKind.TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
    enums.TransactionStmtKind.TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
    enums.TransactionStmtKind.TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
}


def command_of(node: ast.Node) -> str:
    """`CREATE FUNCTION`, `GRANT`, `ALTER TABLE`…: from the node's type, in SQL's words."""
    name = type(node).__name__
    if isinstance(node, ast.TransactionStmt):
        return _TRANSACTIONS.get(node.kind, "BEGIN") if node.kind is not None else "BEGIN"
    if isinstance(node, ast.CreateFunctionStmt):
        return "CREATE PROCEDURE" if node.is_procedure else "CREATE FUNCTION"
    if isinstance(node, ast.GrantStmt):
        return "GRANT" if node.is_grant else "REVOKE"
    if isinstance(node, ast.DefineStmt):
        kind = enums.ObjectType(node.kind or 0).name.removeprefix("OBJECT_")
        return "CREATE " + _words(kind)
    if name in _NAMES:
        return _NAMES[name]
    words = re.findall(r"[A-Z][a-z]*", name.removesuffix("Stmt"))
    return " ".join(words).upper()


def _words(name: str) -> str:
    return name.replace("_", " ").upper()
