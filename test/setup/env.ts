// Every e2e test file runs with these, on top of what global-setup put in the environment.
process.env.NODE_ENV = 'test';
process.env.TZ = 'UTC';
process.env.HOTLINE_COUNTRY ??= 'GB';
