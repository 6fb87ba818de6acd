package main

import (
	"context"
	"fmt"

	"github.com/pulsebot/pulsebot/store"
)

func cmdVersion(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("version", "")
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	fmt.Fprintln(c.stdout, "pulsebot", versionString())
	return exitOK
}

func cmdMigrate(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("migrate", "[--db PATH]")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	cfg, st, code := c.setup(ctx, *db, "", store.Options{NoMigrate: true})
	if st == nil {
		return code
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return c.fail(err)
	}
	v, _, _ := st.SchemaVersion(ctx)
	if len(applied) == 0 {
		fmt.Fprintf(c.stdout, "%s is up to date (schema version %d)\n", cfg.DB, v)
		return exitOK
	}
	for _, m := range applied {
		fmt.Fprintln(c.stdout, "applied", m)
	}
	fmt.Fprintf(c.stdout, "%s is at schema version %d\n", cfg.DB, v)
	return exitOK
}

func cmdBackup(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("backup", "[--db PATH] BACKUP_PATH")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 1); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(c.stderr, "pulsebot backup: missing BACKUP_PATH")
		fs.Usage()
		return exitUsage
	}
	cfg, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "backed up %s to %s\n", cfg.DB, fs.Arg(0))
	return exitOK
}
