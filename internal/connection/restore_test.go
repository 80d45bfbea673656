package connection

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

func TestClientGone(t *testing.T) {
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		session string
		want    bool
	}{
		{fmt.Sprintf("%d-638000000000000000", os.Getpid()), false},
		{fmt.Sprintf("%d-638000000000000000", done.Process.Pid), true},
		{"shared:nightly-report", false},
		{"pwsh-1", false},
		{"0-1", false},
	}
	for _, tt := range tests {
		t.Run(tt.session, func(t *testing.T) {
			if got := clientGone(tt.session); got != tt.want {
				t.Errorf("clientGone(%q) = %v, want %v", tt.session, got, tt.want)
			}
		})
	}
}
