-- connection secrets are sealed at rest (AES-GCM, base64): room for the sealed form of the longest
-- accepted values (jdbcUrl/baseUrl 1000 characters, password 500, headers 7000)
alter table connections alter column jdbc_url set data type varchar(8000);
alter table connections alter column password set data type varchar(4000);
alter table connections alter column base_url set data type varchar(8000);
alter table connections alter column headers set data type varchar(40000);
