package invoke

import (
	"testing"
	"time"
)

func TestReplayable(t *testing.T) {
	tests := []struct {
		cmdlet string
		params Params
		want   bool
	}{
		{"Get-Mailbox", nil, true},
		{"test-OAuthConnectivity", nil, true},
		{"Search-UnifiedAuditLog", nil, true},
		{"Export-QuarantineMessage", nil, true},
		{"Set-Mailbox", nil, false},
		{"Add-MailboxPermission", nil, false},
		{"Remove-DistributionGroupMember", Params{"Confirm": boolean(false)}, false},
		{"Remove-DistributionGroupMember", Params{"confirm": boolean(true)}, true},
		{"New-MailContact", Params{"WhatIf": boolean(true)}, true},
		{"Getaway-Thing", nil, false},
	}
	for _, tt := range tests {
		if got := replayable(tt.cmdlet, tt.params); got != tt.want {
			t.Errorf("replayable(%s, %v) = %v, want %v", tt.cmdlet, tt.params, got, tt.want)
		}
	}
}

func TestTimeout(t *testing.T) {
	tests := map[string]time.Duration{
		"Get-Mailbox":                    960 * time.Second,
		"get-distributiongroupmember":    3660 * time.Second,
		"Import-TransportRuleCollection": 3660 * time.Second,
		"Set-OrganizationConfig":         1860 * time.Second,
		"Set-UnifiedGroup":               3660 * time.Second,
		"Update-DistributionGroupMember": 3660 * time.Second,
		"Update-RoleGroupMember":         1860 * time.Second,
	}
	for cmdlet, want := range tests {
		if got := Timeout(cmdlet); got != want {
			t.Errorf("Timeout(%s) = %v, want %v", cmdlet, got, want)
		}
	}
}
