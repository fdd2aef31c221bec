package tuitest

import tea "charm.land/bubbletea/v2"

// Settle runs cmd and every command its messages lead to, in order, on this
// goroutine: batches are opened, nil messages dropped, and every other
// message is handed to deliver, whose command joins the queue.
func Settle(cmd tea.Cmd, deliver func(tea.Msg) tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, deliver(msg))
		}
	}
}
