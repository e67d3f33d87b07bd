// Stands in for the form-data package in dist/vendor/axios.cjs: orar-cal
// never sends a form, and axios only checks values against this class.
module.exports = class FormData {};
