package ssmapi

import "fmt"

// shellDocument is the shape of the AWS-managed shell documents: one
// script step, limited to its platform, with the usual parameters.
func shellDocument(description, action, step, platform string) string {
	return fmt.Sprintf(`{
  "schemaVersion": "2.2",
  "description": %q,
  "parameters": {
    "commands": {"type": "StringList", "description": "(Required) The commands to run or the paths to existing scripts on the instance."},
    "workingDirectory": {"type": "String", "default": "", "description": "(Optional) The path to the working directory on your instance."},
    "executionTimeout": {"type": "String", "default": "3600", "description": "(Optional) The time in seconds for a command to complete.", "allowedPattern": "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)"}
  },
  "mainSteps": [{
    "precondition": {"StringEquals": ["platformType", %q]},
    "action": %q,
    "name": %q,
    "inputs": {"runCommand": "{{ commands }}", "workingDirectory": "{{ workingDirectory }}", "timeoutSeconds": "{{ executionTimeout }}"}
  }]
}`, description, platform, action, step)
}

// The AWS-managed documents most often used by hand; present in every
// account, owned by Amazon.
var (
	runPowerShellScript = shellDocument("Run a PowerShell script.", "aws:runPowerShellScript", "runPowerShellScript", "Windows")
	runShellScript      = shellDocument("Run a shell script.", "aws:runShellScript", "runShellScript", "Linux")
)

func (a *API) addManagedDocuments() {
	for name, content := range map[string]string{"AWS-RunPowerShellScript": runPowerShellScript, "AWS-RunShellScript": runShellScript} {
		parsed, err := parseContent(content, "JSON")
		if err != nil {
			panic("managed document " + name + ": " + err.Error()) // shellDocument is broken
		}
		a.docs[name] = &document{
			name: name, owner: "Amazon", docType: "Command", format: "JSON", defaultVer: 1,
			versions: []*docVersion{{number: 1, content: content, hash: hashOf(content), created: a.Now(), parsed: parsed}},
		}
	}
}
