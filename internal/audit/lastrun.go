package audit

// LastRunRule reports a host whose last run ended without a usable report, so its
// state is not known.
func LastRunRule(f HostFacts, _ Input) []Finding {
	if f.LastRun == nil {
		return nil
	}
	rule := RuleReport
	return []Finding{hostFinding(f.Host, rule, f.LastRun.Reason, SeverityWarning, 0, f.LastRun.Message)}
}
