package register

// Not-found errors, one per resource, worded for the person who sent the id. Every
// use case that looks a resource up by id answers one of these (CodeNotFound), never
// a nil value with a nil error.

func acceptanceNotFound() error { return Errorf(CodeNotFound, "No risk acceptance has this id.") }

func apiKeyNotFound() error { return Errorf(CodeNotFound, "No API key has this id.") }

func assessmentNotFound() error { return Errorf(CodeNotFound, "No assessment has this id.") }

func categoryNotFound() error { return Errorf(CodeNotFound, "No data category has this key.") }

func holdingNotFound() error { return Errorf(CodeNotFound, "No data holding has this id.") }

func incidentNotFound() error { return Errorf(CodeNotFound, "No incident has this id.") }

func questionnaireNotFound() error { return Errorf(CodeNotFound, "No questionnaire has this id.") }

func supplierNotFound() error { return Errorf(CodeNotFound, "No supplier has this id.") }
