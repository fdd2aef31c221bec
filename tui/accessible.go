package tui

import (
	"context"
	"io"
)

// RunAccessible runs the wizard as plain prompts (stub).
func RunAccessible(ctx context.Context, opts Options, in io.Reader, out io.Writer) int {
	return 0
}
