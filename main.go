// Command pulsebot turns crypto-market news feeds into deduplicated stories,
// a daily Market Pulse and a Discord bot. See README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	_ = ctx
	_ = getenv
	if len(args) > 0 && args[0] == "version" {
		fmt.Fprintln(stdout, "pulsebot dev")
		return 0
	}
	fmt.Fprintln(stderr, "usage: pulsebot <command>")
	return 2
}
