package exoctl

import (
	"os"
	"strconv"
	"strings"
)

// ParentSession names the process that ran exoctl (normally a shell) by its
// id and, where /proc tells it, its start time, so a later process that
// reuses the id is not taken for it.
func ParentSession(ppid int) string {
	id := strconv.Itoa(ppid)
	stat, err := os.ReadFile("/proc/" + id + "/stat")
	if err != nil {
		return id
	}
	// The command name (field 2) may hold spaces; fields after it are
	// plain. Field 22 is the start time in clock ticks since boot.
	_, after, ok := strings.Cut(string(stat), ") ")
	if !ok {
		return id
	}
	fields := strings.Fields(after)
	if len(fields) < 20 {
		return id
	}
	return id + "-" + fields[19]
}
