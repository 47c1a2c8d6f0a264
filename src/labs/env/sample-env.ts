/**
 * The text the playground starts with: the chapter's `.env`, written the way learners often write it
 * at first, so that every kind of disagreement shows at once.
 */
export const SAMPLE_ENV = `# .env (Django: django-environ, Node: dotenv)
EMAIL_HOST_USER = forum.admin@gmail.com
EMAIL_HOST_PASSWORD=abcd efgh ijkl mnop
EMAIL_USE_TLS=true
EMAIL_USE_SSL=True
DEFAULT_FROM_EMAIL=ForumWithDjango <admin@FWD.com> # sender name
SECRET_KEY="django-insecure-#k3y"
DEBUG=False
`;
