// Checks over the whole repository (declared imports, the production image's recipe).
module.exports = { ...require('../../jest.preset.js'), displayName: 'checks' };
