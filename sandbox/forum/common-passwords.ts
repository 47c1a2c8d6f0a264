/**
 * A short list of the most common passwords, standing in for the 20,000 Django's
 * CommonPasswordValidator ships with. Lowercase; compared with the lowercased, trimmed password.
 * Only entries of 8 or more characters matter, since shorter ones already fail the length rule.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
	'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd', 'p@ssword',
	'12345678', '123456789', '1234567890', '87654321', '11111111', '00000000', '12341234', '11223344',
	'qwertyuiop', 'qwerty123', 'qwerty12', 'qwertyui', '1q2w3e4r', '1q2w3e4r5t', 'q1w2e3r4', 'zaq12wsx',
	'1qaz2wsx', 'asdfghjkl', 'asdf1234', 'abcd1234', 'abc12345', 'abcdefgh', 'iloveyou', 'iloveyou1',
	'sunshine', 'princess', 'football', 'baseball', 'superman', 'batman123', 'starwars', 'whatever',
	'trustno1', 'letmein1', 'welcome1', 'welcome123', 'admin123', 'administrator', 'changeme', 'computer',
	'internet', 'michelle', 'jennifer', 'corvette', 'mercedes', 'mustang1', 'master12', 'killer12',
	'charlie1', 'danielle', 'basketball', 'liverpool', 'chelsea1', 'arsenal1', 'samsung1', 'korea123',
	'dragon12', 'monkey12', 'shadow12', 'pokemon1', 'minecraft', 'loveme12', 'qwer1234', 'asdf1234!',
	'django123', 'djangopassword', 'testtest', 'test1234', 'testpassword', 'secret12', 'secret123',
	'aa123456', 'a1234567', 'a12345678', 'q1234567', 'zxcvbnm1', 'zxcvbnm123', 'passpass', 'hello123',
	'helloworld', 'sandbox1', 'postlab1', 'postlab123',
]);
