// Stylesheets are not evaluated in jest: every `import './x.css'` resolves here.
module.exports = {}
