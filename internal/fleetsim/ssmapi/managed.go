package ssmapi

// The AWS-managed documents most often used by hand; present in every
// account, owned by Amazon.
const runPowerShellScript = `{
  "schemaVersion": "2.2",
  "description": "Run a PowerShell script.",
  "parameters": {
    "commands": {"type": "StringList", "description": "(Required) Specify the commands to run or the paths to existing scripts on the instance.", "minItems": 1},
    "workingDirectory": {"type": "String", "default": "", "description": "(Optional) The path to the working directory on your instance."},
    "executionTimeout": {"type": "String", "default": "3600", "description": "(Optional) The time in seconds for a command to complete.", "allowedPattern": "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)"}
  },
  "mainSteps": [{
    "precondition": {"StringEquals": ["platformType", "Windows"]},
    "action": "aws:runPowerShellScript",
    "name": "runPowerShellScript",
    "inputs": {"runCommand": "{{ commands }}", "workingDirectory": "{{ workingDirectory }}", "timeoutSeconds": "{{ executionTimeout }}"}
  }]
}`

const runShellScript = `{
  "schemaVersion": "2.2",
  "description": "Run a shell script.",
  "parameters": {
    "commands": {"type": "StringList", "description": "(Required) Specify a shell script or a command to run."},
    "workingDirectory": {"type": "String", "default": "", "description": "(Optional) The path to the working directory on your instance."},
    "executionTimeout": {"type": "String", "default": "3600", "description": "(Optional) The time in seconds for a command to complete.", "allowedPattern": "([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)"}
  },
  "mainSteps": [{
    "precondition": {"StringEquals": ["platformType", "Linux"]},
    "action": "aws:runShellScript",
    "name": "runShellScript",
    "inputs": {"runCommand": "{{ commands }}", "workingDirectory": "{{ workingDirectory }}", "timeoutSeconds": "{{ executionTimeout }}"}
  }]
}`

func (a *API) addManagedDocuments() {
	for name, content := range map[string]string{"AWS-RunPowerShellScript": runPowerShellScript, "AWS-RunShellScript": runShellScript} {
		parsed, err := parseContent(content, "JSON")
		if err != nil {
			panic("managed document " + name + ": " + err.Error()) // a constant above is broken
		}
		a.docs[name] = &document{
			name: name, owner: "Amazon", docType: "Command", format: "JSON", defaultVer: 1,
			versions: []*docVersion{{number: 1, content: content, hash: hashOf(content), created: a.Now(), parsed: parsed}},
		}
	}
}
