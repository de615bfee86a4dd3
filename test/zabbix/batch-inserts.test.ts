import { describe, expect, it } from 'vitest';
import { batchInserts } from './zabbix-stack.js';

describe('batchInserts (how the Zabbix suite loads data.sql)', () => {
  it('joins consecutive single-row INSERTs into the same table and columns, in order', () => {
    const sql = [
      'START TRANSACTION;',
      "INSERT INTO role (roleid,name) values ('1','User role');",
      "INSERT INTO role (roleid,name) values ('2','Admin; role');",
      "INSERT INTO users (userid,username) values ('1','Admin');",
      "INSERT INTO role (roleid,name) values ('3','It''s; ok');",
      'COMMIT;',
      '',
    ].join('\n');
    expect(batchInserts(sql)).toBe(
      [
        'START TRANSACTION;',
        "INSERT INTO role (roleid,name) values ('1','User role'),",
        "('2','Admin; role');",
        "INSERT INTO users (userid,username) values ('1','Admin');",
        "INSERT INTO role (roleid,name) values ('3','It''s; ok');",
        'COMMIT;',
        '',
      ].join('\n'),
    );
  });

  it("keeps multi-line and E'' strings whole, backslash escapes included, and CRLF as it is", () => {
    const js = "E'var a = \\';\\'; // x\r\nreturn ''b;'';'";
    const sql = `INSERT INTO media_type (mediatypeid,script) values ('1',${js});\nINSERT INTO media_type (mediatypeid,script) values ('2','x;\r\ny');\n`;
    expect(batchInserts(sql)).toBe(`INSERT INTO media_type (mediatypeid,script) values ('1',${js}),\n('2','x;\r\ny');\n`);
  });

  it('starts a new INSERT every maxRows rows', () => {
    const sql = [1, 2, 3].map((n) => `INSERT INTO t (a) values ('${n}');`).join('\n');
    expect(batchInserts(sql, 2)).toBe("INSERT INTO t (a) values ('1'),\n('2');\nINSERT INTO t (a) values ('3');\n");
  });
});
